from django.urls import include, path

from yusuan.web import (
    api_portal, carryover_views, grid_views, org_views, overview, portal, portal_pages, rules_views, uploads, views,
)

web_patterns = [
    path("", views.home, name="home"),
    path("login/", views.login, name="login"),
    path("logout/", views.logout, name="logout"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("package/<int:pk>/", views.package, name="package"),
    path("package/<int:pk>/upload/", views.upload, name="upload"),
    path("package/<int:pk>/submit/", views.submit, name="submit"),
    path("package/<int:pk>/return/", views.return_, name="return"),
    path("package/<int:pk>/approve/", views.approve, name="approve"),
    path("package/<int:pk>/publish/", views.publish, name="publish"),
    path("package/<int:pk>/comment/", views.comment, name="comment"),
    path("package/<int:pk>/history/", views.history, name="history"),
    path("package/<int:pk>/workbook.xlsx", views.workbook, name="workbook"),
    # the bureau's overview (web/overview.py)
    path("bureau/<int:pk>/overview/", overview.overview, name="overview"),
    path("bureau/<int:pk>/overview.<str:fmt>", overview.export, name="overview_export"),
    path("bureau/<int:pk>/deadline/", overview.set_deadline, name="deadline"),
    path("bureau/<int:pk>/approval/", overview.set_approval, name="approval"),
    # published documents made elsewhere (web/uploads.py)
    path("bureau/<int:pk>/uploads/", uploads.bureau_uploads, name="bureau_uploads"),
    path("batch/<int:pk>/", uploads.batch, name="batch"),
    path("published-file/<int:pk>/", uploads.published_file, name="published_file"),
    path("published-file/<int:pk>/confirm/", uploads.confirm, name="confirm"),
    path("published-file/<int:pk>/retry/", uploads.retry, name="retry"),
    path("published-file/<int:pk>/page/<int:page>.png", uploads.page_picture, name="page_picture"),
    path("published-file/<int:pk>/annotated", uploads.annotated, name="annotated"),
    # a new year's package carried over from last year's published version, and its diff (web/carryover.py)
    path("department/<int:pk>/new-package/", carryover_views.new_package, name="new_package"),
    path("package/<int:pk>/diff/", carryover_views.diff, name="diff"),
    # the organisation tree from a spreadsheet (web/orgimport.py) and the bureau's rules configuration
    path("org/import/", org_views.page, name="org_import"),
    path("org/import/confirm/", org_views.confirm, name="org_confirm"),
    path("org/import/template.xlsx", org_views.template, name="org_template"),
    path("bureau/<int:pk>/rules/", rules_views.page, name="rules_config"),
    path("bureau/<int:pk>/rules/save/", rules_views.save, name="rules_config_save"),
    path("package/<int:pk>/grid/", grid_views.page, name="grid"),
    path("package/<int:pk>/texts/", grid_views.texts, name="texts"),
    path("package/<int:pk>/grid/<str:key>/", grid_views.save, name="grid_save"),
    path("public/", portal.home, name="public"),
    path("public/catalogue/", portal.cached_public(views.catalogue), name="catalogue"),
    path("public/search/", portal.search, name="search"),
    path("public/region/<int:pk>/", portal.region, name="region"),
    path("public/department/<int:pk>/", portal.department, name="department"),
    path("public/department/<int:pk>/compare/", portal.compare, name="compare"),
    path("public/department/<int:pk>/budget-final/<int:year>/", portal_pages.budget_final, name="budget_final"),
    path("public/version/<int:pk>/document/", portal.document, name="document"),
    path("public/ranking/", portal_pages.ranking, name="ranking"),
    path("public/side-by-side/", portal_pages.side_by_side, name="side_by_side"),
    path("public/open-data/", portal.open_data, name="open_data"),
    path("public/open-data/<str:slug>/<str:name>", portal.open_data_file, name="open_data_file"),
    path("public/version/<int:pk>/", portal.cached_public(views.version), name="version"),
    path("public/version/<int:pk>/download/<str:fmt>", views.download, name="download"),
]

urlpatterns = [path("", include((web_patterns, "web"))), path("api/", api_portal.api.urls)]  # with the portal's routes

handler400 = "yusuan.web.views.error_400"
handler403 = "yusuan.web.views.error_403"
handler404 = "yusuan.web.views.error_404"
handler500 = "yusuan.web.views.error_500"
