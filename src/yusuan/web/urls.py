from django.urls import include, path

from yusuan.web import views

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
    path("public/", views.public, name="public"),
    path("public/version/<int:pk>/", views.version, name="version"),
    path("public/version/<int:pk>/download/<str:fmt>", views.download, name="download"),
]

urlpatterns = [path("", include((web_patterns, "web")))]

handler400 = "yusuan.web.views.error_400"
handler403 = "yusuan.web.views.error_403"
handler404 = "yusuan.web.views.error_404"
handler500 = "yusuan.web.views.error_500"
