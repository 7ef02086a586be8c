"""A local Slack: Web API emulator, request driver and Block Kit text renderer."""

from bot.localslack.server import LocalSlack
from bot.localslack.state import Call, Failure, Message

__all__ = ["Call", "Failure", "LocalSlack", "Message"]
