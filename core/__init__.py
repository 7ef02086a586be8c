"""Pure domain of the Rackbeat onboarding assistant: no Slack, no HTTP server, no globals."""
