"""Reading findings of a corpus audit (``yusuan corpus audit``, docs/corpus.md): a file whose reading
did not finish. They are registered here so that ``yusuan rules`` and docs/rules.md list them with
their IDs, titles and severities like every other rule, but no check of a disclosure reports them: a
check only runs once a file has been read. The corpus runner builds them with ``corpus_finding``
when the child process that reads a file runs past its time limit, dies, or rejects the file.

They are warnings, not errors: a file that could not be read says nothing about whether the
document contradicts itself (unknown is never zero), and the run goes on with the other files."""

from __future__ import annotations

from yusuan.disclosure import Location
from yusuan.findings import Finding
from yusuan.rules.registry import RULES, Hit, rule, to_finding

TIMEOUT = "R.CORPUS.TIMEOUT"
CRASH = "R.CORPUS.CRASH"
UNREADABLE = "R.CORPUS.UNREADABLE"


@rule(TIMEOUT, "语料审查：文件在时限内读完", "warning", "reading", reads=("file",))
def corpus_timeout(ctx):
    """The process reading the file ran past the corpus audit's per-file time limit (``--timeout``)
    and was killed; nothing of the file was checked. Reported by ``yusuan corpus audit`` only."""
    return ()


@rule(CRASH, "语料审查：读取文件的进程正常结束", "warning", "reading", reads=("file",))
def corpus_crash(ctx):
    """The process reading the file died (a crash of a reader library, memory exhausted, an unexpected
    exception) before it returned a result; nothing of the file was checked. Reported by
    ``yusuan corpus audit`` only."""
    return ()


@rule(UNREADABLE, "语料审查：文件可以读取", "warning", "reading", reads=("file",))
def corpus_unreadable(ctx):
    """The reader rejected the file (not a disclosure, damaged, encrypted, an unsupported format): what
    ``yusuan audit`` reports as an unusable input (exit status 2) is, in a corpus audit, a finding of
    that file. Reported by ``yusuan corpus audit`` only."""
    return ()


def timeout_message(name: str, seconds: float) -> str:
    return f"读取文件“{name}”超过时限 {seconds:g} 秒，已终止读取进程；该文件未作校验。"


def crash_message(name: str, detail: str) -> str:
    detail = " ".join(detail.split())[:300]
    return f"读取文件“{name}”的进程异常退出（{detail}）；该文件未作校验。" if detail else \
        f"读取文件“{name}”的进程异常退出；该文件未作校验。"


def unreadable_message(name: str, detail: str) -> str:
    return f"无法读取文件“{name}”：{' '.join(detail.split())[:300]}；该文件未作校验。"


def corpus_finding(rule_id: str, file: str, message: str) -> Finding:
    """The finding of rule ``rule_id`` (one of the three above) on ``file``, as the registry makes it."""
    r = RULES[rule_id]
    return to_finding(r, r.severity, Hit(message=message, location=Location(file=file)))
