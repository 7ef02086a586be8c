"""Local HTTP fakes of Rackbeat and Netvisor, shared by client, benchmark and end-to-end tests."""
