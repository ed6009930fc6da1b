"""`yusuan portal-refresh`: score every published version again and rebuild the search index."""

from __future__ import annotations

from yusuan.cli import app, console


@app.command("portal-refresh")
def portal_refresh() -> None:
    """重新计算全部已发布版本的公开质量得分（修改 quality.yaml 或公开截止日期之后），并重建全文检索索引。"""
    from yusuan.commands.web import _setup

    _setup()
    from yusuan.web import fulltext, qualitymodels

    scored = qualitymodels.refresh()
    indexed = fulltext.rebuild()
    console.print(f"已重新评分 {scored} 个版本；全文检索（{fulltext.backend()}）索引 {indexed} 个版本", highlight=False)
