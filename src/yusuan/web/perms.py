"""Who may do what: the one place where rights are decided.

Every view names an action; ``allowed(user, action, obj)`` answers from the user's role and scope
(his department for 部门填报人/部门负责人, his bureau for 财政审核人/发布人; 管理员 everything). Whether the
package's *state* allows the action is a separate question (``workflow``): a right never depends on
the state, so the permission test can check every URL × role on one fixture.
"""

from __future__ import annotations

from yusuan.web.models import Bureau, Department, Package, Role, State, Version

PUBLIC = "public"            # anyone, anonymous included
SIGNED_IN = "signed_in"      # any signed-in user
VIEW = "view"                # see a package (its tables, findings, comments, history, workbook)
UPLOAD = "upload"            # replace the facts by an uploaded workbook
SUBMIT = "submit"
RETURN = "return"
APPROVE = "approve"
PUBLISH = "publish"
COMMENT = "comment"
CREATE = "create"            # create a department's package of a new year (last year's published figures carried in)

# role → actions on a package in its scope
ROLE_ACTIONS = {
    Role.PREPARER: {VIEW, UPLOAD, COMMENT, CREATE},
    Role.HEAD: {VIEW, SUBMIT, COMMENT},
    Role.REVIEWER: {VIEW, RETURN, APPROVE, COMMENT},
    Role.PUBLISHER: {VIEW, PUBLISH, COMMENT},
    Role.ADMIN: {VIEW, UPLOAD, SUBMIT, RETURN, APPROVE, PUBLISH, COMMENT, CREATE},
}


def membership(user):
    if not user.is_authenticated:
        return None
    if user.is_superuser and not hasattr(user, "membership"):
        return None
    return getattr(user, "membership", None)


def role(user) -> str | None:
    if not user.is_authenticated:
        return None
    if user.is_superuser:
        return Role.ADMIN
    m = membership(user)
    return m.role if m else None


def in_scope(user, department: Department) -> bool:
    r = role(user)
    if r is None:
        return False
    m = membership(user)
    if r == Role.ADMIN:
        return m is None or m.bureau_id is None or m.bureau_id == department.bureau_id
    if r in (Role.PREPARER, Role.HEAD):
        return m.department_id == department.id
    return m.bureau_id == department.bureau_id


def allowed(user, action: str, obj=None) -> bool:
    if action == PUBLIC:  # public pages; every Version is a publication, public by definition
        return True
    if not user.is_authenticated:
        return False
    if action == SIGNED_IN:
        return True
    if isinstance(obj, Version):
        obj = obj.package
    if hasattr(obj, "perm_bureau"):  # an uploaded batch, its files and jobs belong to the bureau
        obj = obj.perm_bureau
    if isinstance(obj, Bureau) or action in BUREAU_ACTIONS:
        return bureau_allowed(user, action, obj)
    department = obj if isinstance(obj, Department) else obj.department if isinstance(obj, Package) else None
    if department is None:
        return False
    r = role(user)
    return r is not None and action in ROLE_ACTIONS.get(r, set()) and in_scope(user, department)


def visible_packages(user):
    """The packages a user may see (dashboard lists): scoped exactly as ``allowed(VIEW)``."""
    r = role(user)
    qs = Package.objects.select_related("department", "department__bureau")
    if r is None:
        return qs.none()
    m = membership(user)
    if r == Role.ADMIN:
        return qs if m is None or m.bureau_id is None else qs.filter(department__bureau_id=m.bureau_id)
    if r in (Role.PREPARER, Role.HEAD):
        return qs.filter(department_id=m.department_id)
    return qs.filter(department__bureau_id=m.bureau_id)


# state → transitions the state allows (the workflow; rights are above)
STATE_ACTIONS = {
    UPLOAD: {State.DRAFT, State.RETURNED, State.PUBLISHED},  # after publication: starts a correction
    SUBMIT: {State.DRAFT, State.RETURNED},
    RETURN: {State.SUBMITTED, State.APPROVED},
    APPROVE: {State.SUBMITTED},
    PUBLISH: {State.APPROVED},
}


def state_allows(package: Package, action: str) -> bool:
    states = STATE_ACTIONS.get(action)
    return states is None or package.state in states


# ------------------------------------------------------------------ the bureau's own work
BATCH = "batch"              # upload zips of published documents made elsewhere, see them and their audits
OVERVIEW = "overview"        # the bureau's overview of its departments (and its exports)
BUREAU_ADMIN = "bureau_admin"  # the bureau's deadlines, importing its organisation tree
RULES_CONFIG = "rules_config"  # the bureau's severities of the checks (and rules switched off)
BUREAU_ACTIONS = {BATCH, OVERVIEW, BUREAU_ADMIN, RULES_CONFIG}

BUREAU_ROLE_ACTIONS = {
    Role.REVIEWER: {BATCH, OVERVIEW, RULES_CONFIG},
    Role.PUBLISHER: {OVERVIEW},
    Role.ADMIN: {BATCH, OVERVIEW, BUREAU_ADMIN, RULES_CONFIG},
}


def bureau_allowed(user, action: str, bureau: Bureau | None) -> bool:
    """``action`` on a bureau (``None``: some bureau of the user's — e.g. the organisation import,
    whose rows name the bureaus and are checked one by one with ``bureau_allowed``)."""
    r = role(user)
    if r is None or action not in BUREAU_ROLE_ACTIONS.get(r, set()):
        return False
    m = membership(user)
    if r == Role.ADMIN and (m is None or m.bureau_id is None):
        return True
    if bureau is None:
        return m is not None and m.bureau_id is not None
    return m is not None and m.bureau_id == bureau.id


def visible_bureaus(user, action: str = OVERVIEW):
    return [b for b in Bureau.objects.select_related("region").order_by("region__name", "name")
            if bureau_allowed(user, action, b)]
