"""Pure renderers: domain objects in, Block Kit dicts out (unit-tested without Slack)."""
