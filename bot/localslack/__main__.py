"""`python -m bot.localslack [--port N]`: run the emulator on its own, for benchmarks and demos.

Prints the API URL, then serves until stdin closes or the process is stopped. Besides the Web
API it answers ``GET /_local/messages?channel=C`` with the channel's messages as JSON and
``POST /_local/share`` (``{"name", "content", "user", "channel"}``) with the `file_share` event
body of a newly shared file.
"""

from __future__ import annotations

import argparse
import sys

from bot.localslack.server import LocalSlack


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot.localslack")
    parser.add_argument("--bot-token", default="xoxb-local-token")
    parser.add_argument("--quiet-calls", action="store_true", help="keep no call history")
    args = parser.parse_args(argv)
    slack = LocalSlack(bot_token=args.bot_token, keep_calls=not args.quiet_calls).start()
    print(slack.api_url, flush=True)
    try:
        sys.stdin.read()
    except KeyboardInterrupt:
        pass
    finally:
        slack.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
