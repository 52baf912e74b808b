"""The outlet registry: canonical outlets by domain or name, with their profiles.

>>> from storydesk.outlets import OutletRegistry, registrable_domain
>>> OutletRegistry.default().by_name("RT News").name
'RT'
>>> registrable_domain("https://edition.cnn.com/x")
'cnn.com'
"""

from storydesk.outlets.registry import (
    KINDS,
    STATE_AFFILIATIONS,
    Outlet,
    OutletDataError,
    OutletRegistry,
    normalise_host,
    normalise_name,
    registrable_domain,
)

__all__ = [
    "KINDS",
    "STATE_AFFILIATIONS",
    "Outlet",
    "OutletDataError",
    "OutletRegistry",
    "normalise_host",
    "normalise_name",
    "registrable_domain",
]
