from tests.core.sources.conftest import rackbeat, rackbeat_credentials, sleeps

__all__ = ["rackbeat", "rackbeat_credentials", "sleeps"]
