"""Importing a checked register file into the connected Rackbeat account.

``source`` reads the clean rows, ``payloads`` turns them into API bodies, ``planner`` compares
them with the account (through ``ports``) into a preview, ``repository`` keeps the import and
its per-record journal, ``runner.run_import`` sends what is left (resumable, never twice),
``result`` writes the result CSV. The account's request ceiling is ``core.sources.ratelimit``.
"""
