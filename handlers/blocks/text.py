"""Text from a user's file made safe to show in a mrkdwn message."""

from __future__ import annotations


def mrkdwn_text(value: str) -> str:
    """Text from a user's file (its name, cells, header) made safe for a mrkdwn message.

    Slack reads `<!channel>`, `<@U123>` and `<https://…|label>` as mentions and links, and wants
    `&`, `<` and `>` escaped in text it should show as is (api.slack.com, "Formatting text").
    """
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
