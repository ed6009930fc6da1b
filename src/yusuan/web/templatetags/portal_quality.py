"""Template helpers of the portal: the quality card of a version page, a dict lookup."""

from django import template

from yusuan.web.ranking import score_of

register = template.Library()


@register.filter
def get_item(mapping, key):
    return (mapping or {}).get(key)


@register.inclusion_tag("web/_quality.html")
def quality_card(version):
    """为什么是这个分: the stored score of the version, every point lost with its reason."""
    q = score_of(version)
    return {"v": version, "q": q, "b": q.breakdown if q else None}
