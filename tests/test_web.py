"""The web application: a permission matrix generated from the URL configuration, the workflow
(fatal findings block submission, a bad upload changes nothing, a published version is immutable,
a correction is a new version with its reason and both stay public)."""

from __future__ import annotations

import pytest

from web_support import django_db as _django_db  # noqa: F401 - sets Django up
from web_support import example_facts, workbook

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.files.base import ContentFile  # noqa: E402
from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: E402
from django.db import transaction  # noqa: E402
from django.test import Client, TestCase  # noqa: E402
from django.urls import URLPattern, URLResolver, get_resolver, reverse  # noqa: E402

from yusuan.web import workflow  # noqa: E402
from yusuan.web.models import (AuditLog, Bureau, Department, ImmutableError, Membership, Package, Region,  # noqa: E402
                               Role, State, Version)

django_db = pytest.fixture(scope="module", autouse=True)(lambda _django_db: None)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# every role the matrix tries; "_other" are the same role outside the package's department/bureau
ROLES = ["anonymous", "preparer", "preparer_other", "head", "reviewer", "reviewer_other", "publisher", "admin"]
ALL = set(ROLES)
SIGNED = ALL - {"anonymous"}
IN_SCOPE = {"preparer", "head", "reviewer", "publisher", "admin"}

# URL name → (method, who is allowed). A URL pattern missing here fails test_matrix_covers_every_url.
MATRIX = {
    "home": ("get", ALL),
    "login": ("get", ALL),
    "logout": ("post", ALL),
    "dashboard": ("get", SIGNED),
    "package": ("get", IN_SCOPE),
    "upload": ("post", {"preparer", "admin"}),
    "submit": ("post", {"head", "admin"}),
    "return": ("post", {"reviewer", "admin"}),
    "approve": ("post", {"reviewer", "admin"}),
    "publish": ("post", {"publisher", "admin"}),
    "comment": ("post", IN_SCOPE),
    "history": ("get", IN_SCOPE),
    "workbook": ("get", IN_SCOPE),
    # editing in the browser (tests/test_grid.py): everyone in scope sees the grids, editors save them
    "grid": ("get", IN_SCOPE),
    "texts": ("get", IN_SCOPE),
    "grid_save": ("post", {"preparer", "admin"}),
    "public": ("get", ALL),
    "version": ("get", ALL),
    "download": ("get", ALL),
    # the bureau's overview and published documents made elsewhere (tests/test_web_jobs.py)
    "overview": ("get", {"reviewer", "publisher", "admin"}),
    "overview_export": ("get", {"reviewer", "publisher", "admin"}),
    "deadline": ("post", {"admin"}),
    "approval": ("post", {"admin"}),  # tests/test_web_timeliness.py
    "bureau_uploads": ("get", {"reviewer", "admin"}),
    "batch": ("get", {"reviewer", "admin"}),
    "published_file": ("get", {"reviewer", "admin"}),
    "confirm": ("post", {"reviewer", "admin"}),
    "retry": ("post", {"reviewer", "admin"}),
    "page_picture": ("get", {"reviewer", "admin"}),
    "annotated": ("get", {"reviewer", "admin"}),
    # a new year's package and its diff with last year, the organisation import, the bureau's rules configuration
    # (tests/test_web_flow.py)
    "new_package": ("post", {"preparer", "admin"}),
    "diff": ("get", IN_SCOPE),
    "org_import": ("get", {"admin"}),
    "org_confirm": ("post", {"admin"}),
    "org_template": ("get", {"admin"}),
    "rules_config": ("get", {"reviewer", "admin"}),
    "rules_config_save": ("post", {"reviewer", "admin"}),
    # the portal (tests/test_portal.py): public by construction, it reads published versions only
    "catalogue": ("get", ALL),
    "search": ("get", ALL),
    "region": ("get", ALL),
    "department": ("get", ALL),
    "compare": ("get", ALL),
    "document": ("get", ALL),
    "open_data": ("get", ALL),
    "open_data_file": ("get", ALL),
    "ranking": ("get", ALL),  # tests/test_portal_quality.py
    "side_by_side": ("get", ALL),  # the page and the API endpoint of one name
    "budget_final": ("get", ALL),
    # the JSON API: published data for everyone, a working copy only with the package's view right
    "openapi-json": ("get", ALL),
    "api-root": ("get", ALL),
    "list_regions": ("get", ALL),
    "get_region": ("get", ALL),
    "list_departments": ("get", ALL),
    "get_department": ("get", ALL),
    "department_comparison": ("get", ALL),
    "list_packages": ("get", ALL),
    "get_package": ("get", ALL),
    "get_draft": ("get", IN_SCOPE),
    "get_version": ("get", ALL),
    "version_tables": ("get", ALL),
    "version_findings": ("get", ALL),
    "version_figures": ("get", ALL),
    "version_quality": ("get", ALL),
    "rankings": ("get", ALL),
}
# the object a URL's pk names (default: the package)
PK_OF = {"version": "version", "download": "version", "document": "version", "get_version": "version",
         "version_tables": "version", "version_findings": "version", "version_figures": "version",
         "region": "region", "get_region": "region", "department": "dept", "compare": "dept", "get_department": "dept",
         "department_comparison": "dept", "budget_final": "dept", "version_quality": "version", "overview": "bureau", "overview_export": "bureau", "deadline": "bureau", "approval": "bureau",
         "bureau_uploads": "bureau", "batch": "batch", "published_file": "pfile", "confirm": "pfile", "retry": "pfile",
         "page_picture": "pfile", "annotated": "pfile", "new_package": "dept", "rules_config": "bureau",
         "rules_config_save": "bureau"}


def url_names() -> list[tuple[str, list[str]]]:
    """(name, argument names) of every URL pattern, walked from the root URL configuration."""
    out = []

    def walk(patterns, prefix=""):
        for p in patterns:
            if isinstance(p, URLResolver):
                walk(p.url_patterns, f"{p.namespace}:" if p.namespace else prefix)
            elif isinstance(p, URLPattern):
                out.append((prefix + (p.name or str(p.pattern)), list(p.pattern.converters)))

    walk(get_resolver().url_patterns)
    return out


class Base(TestCase):
    @classmethod
    def setUpTestData(cls):
        User = get_user_model()
        region = Region.objects.create(name="测试州")
        cls.bureau = Bureau.objects.create(region=region, name="测试州财政局")
        other_bureau = Bureau.objects.create(region=region, name="另一财政局")
        cls.dept = Department.objects.create(bureau=cls.bureau, name="昌吉州自然资源局")
        other_dept = Department.objects.create(bureau=cls.bureau, name="测试州交通运输局")
        far_dept = Department.objects.create(bureau=other_bureau, name="远方教育局")
        scopes = {"preparer": (Role.PREPARER, cls.dept, None), "preparer_other": (Role.PREPARER, other_dept, None),
                  "head": (Role.HEAD, cls.dept, None), "reviewer": (Role.REVIEWER, None, cls.bureau),
                  "reviewer_other": (Role.REVIEWER, None, other_bureau), "publisher": (Role.PUBLISHER, None, cls.bureau),
                  "admin": (Role.ADMIN, None, cls.bureau)}
        cls.users = {}
        for name, (role, dept, bureau) in scopes.items():
            u = User.objects.create_user(username=name, password="x" * 12)
            Membership.objects.create(user=u, role=role, department=dept, bureau=bureau)
            cls.users[name] = u
        cls.package = Package.objects.create(department=cls.dept, year=2023)
        Package.objects.create(department=far_dept, year=2023)
        cls.far_dept = far_dept

    def client_as(self, role: str) -> Client:
        c = Client()
        if role != "anonymous":
            c.force_login(self.users[role])
        return c


class PermissionMatrix(Base):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        facts = example_facts()
        workflow.store_facts(cls.package, None, facts, "test")
        cls.package.state = State.SUBMITTED
        cls.package.save()
        cls.version = Version(package=cls.package, number=1, facts=cls.package.facts, report=cls.package.report,
                              tables=cls.package.tables)
        cls.version.xlsx.save("v.xlsx", ContentFile(b"PK fake"), save=False)
        cls.version.save()
        from yusuan.web.models import AuditJob, Batch, Match, PublishedFile

        cls.batch = Batch.objects.create(bureau=cls.bureau, name="各部门.zip", year=2023)
        cls.pfile = PublishedFile(batch=cls.batch, name="自然资源局.pdf", department=cls.dept, match=Match.MATCHED)
        cls.pfile.file.save("自然资源局.pdf", ContentFile(b"%PDF-1.4 broken"), save=False)
        cls.pfile.save()
        AuditJob.objects.create(file=cls.pfile, status="done", pages=[{"page": 1, "image": "none.png", "findings": []}])

    def args_for(self, names: list[str], short: str = "") -> dict:
        objects = {"version": self.version, "region": self.dept.bureau.region, "dept": self.dept, "package": self.package,
                   "bureau": self.bureau, "batch": self.batch, "pfile": self.pfile}
        values = {"pk": objects[PK_OF.get(short, "package")].pk, "fmt": "xlsx", "page": 1,
                  "slug": f"{self.package.year}-region{self.dept.bureau.region.pk}", "name": "figures.csv",
                  "key": "basic", "year": self.package.year}
        return {n: values[n] for n in names}

    def test_matrix_covers_every_url(self):
        names = {name.split(":", 1)[-1] for name, _ in url_names()}
        self.assertEqual(names - set(MATRIX), set(), "URL patterns without a row in the permission matrix")
        self.assertEqual(set(MATRIX) - names, set(), "matrix rows for URL patterns that no longer exist")

    def test_every_url_for_every_role(self):
        wrong = []
        for name, params in url_names():
            short = name.split(":", 1)[-1]
            method, allowed = MATRIX[short]
            kwargs = self.args_for(params, short)
            url = reverse(name, kwargs=kwargs)
            for role in ROLES:
                client = self.client_as(role)
                with transaction.atomic():  # an allowed POST may change state: undo it for the next cell
                    response = getattr(client, method)(url)
                    transaction.set_rollback(True)
                login_redirect = response.status_code == 302 and reverse("web:login") in response.get("Location", "")
                denied = response.status_code == 403 or (login_redirect and short != "logout")
                if denied == (role in allowed):
                    wrong.append(f"{short} {method.upper()} as {role}: {response.status_code}")
                if role in allowed and response.status_code >= 500:
                    wrong.append(f"{short} as {role}: {response.status_code}")
                if role not in allowed and response.status_code == 200:
                    wrong.append(f"{short} as {role}: content served")
        self.assertEqual(wrong, [])

    def test_other_scopes_do_not_see_the_package(self):
        for role in ("preparer_other", "reviewer_other"):
            page = self.client_as(role).get(reverse("web:dashboard")).content.decode()
            self.assertNotIn("昌吉州自然资源局", page, role)
        page = self.client_as("reviewer").get(reverse("web:dashboard")).content.decode()
        self.assertIn("昌吉州自然资源局", page)
        self.assertNotIn(self.far_dept.name, page)


class Workflow(Base):
    def upload(self, role: str, data: bytes, name: str = "录入.xlsx"):
        return self.client_as(role).post(reverse("web:upload", args=[self.package.pk]),
                                         {"workbook": SimpleUploadedFile(name, data, content_type=XLSX)})

    def post(self, role: str, action: str, **data):
        return self.client_as(role).post(reverse(f"web:{action}", args=[self.package.pk]), data)

    def state(self) -> str:
        self.package.refresh_from_db()
        return self.package.state

    def test_bad_upload_changes_nothing_and_says_why(self):
        before = AuditLog.objects.count()
        response = self.upload("preparer", b"this is not a workbook")
        self.assertEqual(response.status_code, 400)
        text = response.content.decode()
        self.assertIn("未作任何更改", text)
        self.assertIn("录入.xlsx", text)
        self.package.refresh_from_db()
        self.assertIsNone(self.package.facts)
        self.assertEqual(AuditLog.objects.count(), before)
        response = self.upload("preparer", b"a,b\n1,2\n", name="data.csv")
        self.assertEqual(response.status_code, 400)
        self.assertIn(".xlsx", response.content.decode())

    def test_fatal_finding_blocks_submit_and_is_located(self):
        facts = example_facts()
        project = next(p for p in facts.projects if p.economic)
        project.economic[0].amount += 7  # the economic breakdown no longer sums to the project's funding
        response = self.upload("preparer", workbook(facts))
        self.assertEqual(response.status_code, 302)
        self.package.refresh_from_db()
        self.assertGreater(self.package.fatal, 0)
        fatal = [f for f in self.package.report["findings"] if f["severity"] == "fatal"]
        self.assertIn("F.PROJECT.ECONOMIC", {f["rule"] for f in fatal})
        page = self.client_as("head").get(reverse("web:package", args=[self.package.pk])).content.decode()
        self.assertIn("F.PROJECT.ECONOMIC", page)
        self.assertIn("有错误时不能提交", page)
        located = [f for f in self.package.report["findings"] if f["where"]]
        self.assertTrue(located and located[0]["where"] in page)
        response = self.post("head", "submit")
        self.assertEqual(response.status_code, 400)
        self.assertIn("错误", response.content.decode())
        self.assertEqual(self.state(), State.DRAFT)

    def test_upload_submit_return_approve_publish_correct(self):
        good = workbook(example_facts())
        self.assertEqual(self.upload("preparer", good).status_code, 302)
        self.assertEqual(self.package_fatal(), 0)
        self.assertEqual(self.post("reviewer", "approve").status_code, 400)  # not submitted yet
        self.assertEqual(self.post("head", "submit").status_code, 302)
        self.assertEqual(self.state(), State.SUBMITTED)
        self.assertEqual(self.post("reviewer", "return", text="").status_code, 400)  # a return needs a comment
        self.assertEqual(self.post("reviewer", "return", text="表3 请核对", table="表3").status_code, 302)
        self.assertEqual(self.state(), State.RETURNED)
        self.assertIn("表3 请核对", self.client_as("preparer").get(reverse("web:package", args=[self.package.pk])).content.decode())
        self.assertEqual(self.post("head", "submit").status_code, 302)
        self.assertEqual(self.post("reviewer", "approve").status_code, 302)
        self.assertEqual(self.post("publisher", "publish").status_code, 302)
        self.assertEqual(self.state(), State.PUBLISHED)
        v1 = Version.objects.get(package=self.package)
        self.assertTrue(v1.xlsx)
        # immutable: neither saving nor deleting a published version is possible
        v1.reason = "改动"
        with self.assertRaises(ImmutableError):
            v1.save()
        with self.assertRaises(ImmutableError):
            v1.delete()
        anon = Client()
        self.assertEqual(anon.get(reverse("web:download", args=[v1.pk, "xlsx"])).status_code, 200)
        # a correction: a new upload reopens the package, the first version stays as it was
        facts = example_facts()
        facts.unit.name = facts.unit.name  # same facts; the correction is about process, not content
        self.assertEqual(self.upload("preparer", workbook(facts)).status_code, 302)
        self.assertEqual(self.state(), State.DRAFT)
        self.post("head", "submit")
        self.post("reviewer", "approve")
        response = self.post("publisher", "publish")  # no reason: refused
        self.assertEqual(response.status_code, 400)
        self.assertIn("更正原因", response.content.decode())
        self.assertEqual(self.post("publisher", "publish", reason="更正表5的科目名称").status_code, 302)
        versions = list(Version.objects.filter(package=self.package).order_by("number"))
        self.assertEqual([v.number for v in versions], [1, 2])
        self.assertEqual(versions[1].reason, "更正表5的科目名称")
        self.assertEqual(versions[0].reason, "")
        public = anon.get(reverse("web:public")).content.decode()
        self.assertIn("第1版", public)
        self.assertIn("第2版", public)
        self.assertIn("已更正", public)
        self.assertIn("更正表5的科目名称", public)
        old = anon.get(reverse("web:version", args=[versions[0].pk])).content.decode()
        self.assertIn("查看更正后的第2版", old)
        actions = list(AuditLog.objects.filter(package=self.package).order_by("at", "id").values_list("action", flat=True))
        self.assertEqual(actions, ["upload", "submit", "return", "submit", "approve", "publish", "correct", "upload",
                                   "submit", "approve", "publish"])
        history = self.client_as("reviewer").get(reverse("web:history", args=[self.package.pk])).content.decode()
        self.assertIn("审核通过", history)
        self.assertIn("已提交", history)

    def package_fatal(self) -> int:
        self.package.refresh_from_db()
        return self.package.fatal

    def test_login_page_and_wrong_password(self):
        from django.core.cache import cache

        cache.clear()
        c = Client()
        response = c.post(reverse("web:login"), {"username": "preparer", "password": "wrong"})
        self.assertEqual(response.status_code, 200)
        self.assertIn("用户名或密码不正确", response.content.decode())
        response = c.post(reverse("web:login"), {"username": "preparer", "password": "x" * 12})
        self.assertEqual(response.status_code, 302)
        self.assertIn("工作台", c.get(reverse("web:dashboard")).content.decode())

    def test_login_throttled_after_repeated_failures(self):
        from django.core.cache import cache

        from yusuan.web.views import LOGIN_FAILURES

        cache.clear()
        c = Client()
        for _ in range(LOGIN_FAILURES):
            c.post(reverse("web:login"), {"username": "head", "password": "wrong"})
        response = c.post(reverse("web:login"), {"username": "head", "password": "x" * 12})  # right, but locked
        self.assertEqual(response.status_code, 200)
        self.assertIn("登录失败次数过多", response.content.decode())
        cache.clear()
        self.assertEqual(c.post(reverse("web:login"), {"username": "head", "password": "x" * 12}).status_code, 302)

    def test_unknown_page_is_chinese_not_a_traceback(self):
        response = Client().get("/no/such/page/")
        self.assertEqual(response.status_code, 404)


def test_database_is_the_one_asked_for():
    """The PostgreSQL run (tests/test_web_postgres.py) really runs on PostgreSQL."""
    import os

    from django.db import connection

    assert connection.vendor == os.environ.get("YUSUAN_EXPECT_VENDOR", "postgresql" if os.environ.get("DATABASE_URL") else "sqlite")


def test_migrations_are_committed():
    """Every model change has its migration in src/yusuan/web/migrations/."""
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    try:
        call_command("makemigrations", "web", check=True, dry_run=True, stdout=out, stderr=out)
    except SystemExit:
        pytest.fail("model changes without a migration:\n" + out.getvalue())
