"""The bot's view into a connected Rackbeat account: a snapshot read politely, stored with its
age, and used by the file checks and the self-checking steps."""
