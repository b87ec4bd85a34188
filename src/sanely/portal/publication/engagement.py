"""
The preliminary market engagement notice (UK2, Procurement Act 2023 s.17) as a planning release:
found once the authority has published it from the engagement record, with the content the
Procurement Regulations 2024 reg 17 lists (the authority, the procurement's title and
identifier, its subject-matter, when engagement closes or closed, and how suppliers take part)
read from that record. Its release puts the procurement on the public list as planned, so that
suppliers and social enterprises find the challenge before it is advertised.
"""

from typing import TYPE_CHECKING

from sanely.ocds import facts as f
from sanely.portal.engagement.selectors import published_uk2

if TYPE_CHECKING:
    from .sources import Context

ENGAGEMENT = "engagement"
UK2_TITLE = "Preliminary market engagement notice (UK2)"


def engagement_notice(c: "Context") -> list[f.Fact]:
    published = published_uk2(c.procurement)
    if published is None:
        return []
    notice, content = published
    document = f.Document(
        id=f"notice-{ENGAGEMENT}",
        document_type="marketEngagementNotice",
        title=UK2_TITLE,
        url=f"{c.public_url}/open/{c.ocid}/notices/{ENGAGEMENT}",
        published=notice.published_at,
        notice_type="UK2",
    )
    return [
        f.Planning(
            id=ENGAGEMENT,
            date=notice.published_at,
            rationale=content.subject_matter,
            title=content.title,
            documents=(document,),
            notice_text=content.text(),
        )
    ]
