"""The GS1-conformant resolver's answers for a stamp: which links it offers, as an RFC 9264
linkset (GS1 Digital Link 1.2 / GS1-Conformant Resolver Standard 1.1).

A consumer's phone asks for HTML and gets the scan page (the default link). A machine asks
with `Accept: application/json` (or `application/linkset+json`), or `?linkType=all`, and
gets the linkset; `?linkType=gs1:pip` (or another type) is redirected to that link.
"""

from __future__ import annotations

from dataclasses import dataclass

GS1_VOC = "https://gs1.org/voc/"
PIP = "gs1:pip"
CERTIFICATION = "gs1:certificationInfo"
TRACEABILITY = "gs1:traceability"
EPCIS = "gs1:epcis"
DEFAULT = "gs1:defaultLink"
LINK_TYPES = (DEFAULT, PIP, CERTIFICATION, TRACEABILITY, EPCIS)
LINKSET_TYPES = ("all", "linkset")


@dataclass(frozen=True)
class Link:
    link_type: str  # "gs1:pip"
    href: str
    title: str
    media_type: str = "text/html"
    hreflang: tuple[str, ...] = ("vi", "en")


def expand(link_type: str) -> str:
    """'gs1:pip' → 'https://gs1.org/voc/pip' (a full URI is kept)."""
    if link_type.startswith("gs1:"):
        return GS1_VOC + link_type[4:]
    return link_type


def normalise(link_type: str) -> str:
    """What a client wrote ('pip', 'gs1:pip' or the full URI) as 'gs1:pip'."""
    value = link_type.strip()
    if value.startswith(GS1_VOC):
        return "gs1:" + value[len(GS1_VOC) :]
    if value and ":" not in value and value not in LINKSET_TYPES:
        return "gs1:" + value
    return value


def linkset(anchor: str, links: list[Link]) -> dict:
    """The linkset document: one context object whose members are link relation types."""
    context: dict = {"anchor": anchor}
    for link in links:
        target = {
            "href": link.href,
            "title": link.title,
            "type": link.media_type,
            "hreflang": list(link.hreflang),
        }
        context.setdefault(expand(link.link_type), []).append(target)
    return {"linkset": [context]}


def link_header(links: list[Link]) -> str:
    """The same links as an HTTP Link header (RFC 8288), which GS1 resolvers send too."""
    return ", ".join(
        f'<{link.href}>; rel="{expand(link.link_type)}"; type="{link.media_type}"' for link in links
    )


def find(links: list[Link], link_type: str) -> Link | None:
    return next((link for link in links if link.link_type == link_type), None)
