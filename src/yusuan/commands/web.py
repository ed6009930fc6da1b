"""`yusuan serve` and `yusuan createsuperuser`: the web application (optional extra ``web``)."""

from __future__ import annotations

import os
import signal
import socket
import sys

import typer

from yusuan.cli import app, console, err


def _setup(debug: bool = False) -> None:
    """Django configured and the database migrated; clear Chinese messages instead of tracebacks."""
    try:
        import django  # noqa: F401
        import waitress  # noqa: F401
        import whitenoise  # noqa: F401
    except ImportError:
        err.print("[bold red]错误[/]：未安装网页应用所需的组件，请运行 pip install 'yusuan[web]'（或 make test-setup）", highlight=False)
        raise typer.Exit(2)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yusuan.web.settings")
    if debug:
        os.environ["YUSUAN_DEBUG"] = "1"
    import django
    from django.core.management import call_command
    from django.db import DatabaseError
    from django.db.utils import OperationalError

    try:
        django.setup()
    except Exception as exc:  # noqa: BLE001 - settings that cannot be used: say which
        err.print(f"[bold red]错误[/]：网页应用配置有误：{exc}", highlight=False)
        raise typer.Exit(2)
    from django.conf import settings

    db = settings.DATABASES["default"]
    where = db.get("HOST") and f"{db['ENGINE'].rsplit('.', 1)[-1]} {db.get('HOST')}:{db.get('PORT')}/{db.get('NAME')}" or str(db.get("NAME"))
    try:
        call_command("migrate", interactive=False, verbosity=0)
    except (OperationalError, DatabaseError) as exc:
        err.print(f"[bold red]错误[/]：无法连接或更新数据库（{where}）：{str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__}",
                  highlight=False)
        err.print("请检查 DATABASE_URL 或 YUSUAN_DATA 设置。", highlight=False)
        raise typer.Exit(2)
    console.print(f"数据库：{where}", highlight=False)


def _demo() -> None:
    from django.conf import settings

    from yusuan.web import demo

    accounts_file = settings.DATA_DIR / "demo-accounts.txt"
    if demo.is_empty():
        with console.status("数据库为空，正在载入演示数据（示例部门和两个生成的部门）……"):
            accounts = demo.load_demo()
        lines = [f"{u}\t{pw}\t{role}\t{scope}" for u, pw, role, scope in accounts]
        accounts_file.write_text("用户名\t密码\t角色\t范围\n" + "\n".join(lines) + "\n", encoding="utf-8")
        accounts_file.chmod(0o600)
    if accounts_file.exists():
        console.print(f"演示账号（保存在 {accounts_file}）：", highlight=False)
        for line in accounts_file.read_text(encoding="utf-8").splitlines()[1:]:
            u, pw, role, scope = line.split("\t")
            console.print(f"  {role:<6} {u:<10} 密码 {pw}   （{scope}）", highlight=False)


@app.command()
def serve(
    host: str = typer.Option("127.0.0.1", "--host", help="监听地址"),
    port: int = typer.Option(8000, "--port", help="端口"),
    debug: bool = typer.Option(False, "--debug", help="调试模式（Django 开发服务器，显示出错详情；勿用于生产）"),
    threads: int = typer.Option(8, "--threads", help="处理请求的线程数"),
    workers: int = typer.Option(1, "--workers", help="后台审核任务的工作进程数（0：不启动，另行运行 yusuan worker）"),
    processes: int = typer.Option(int(os.environ.get("YUSUAN_PROCESSES", "1") or 1), "--processes",
                                  help="网页服务进程数（共用一个端口；多核机器上可设为 CPU 核数，也可用 YUSUAN_PROCESSES 设置）"),
) -> None:
    """启动网页应用：自动迁移数据库，空库时载入演示数据，用 waitress 提供服务。"""
    if host not in ("127.0.0.1", "localhost", "::1"):
        hosts = os.environ.get("YUSUAN_ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
        os.environ["YUSUAN_ALLOWED_HOSTS"] = hosts + "," + host if host not in ("0.0.0.0", "::") else "*"
    _setup(debug)
    _demo()
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as probe:
        try:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            probe.bind((host, port))
        except OSError as exc:
            err.print(f"[bold red]错误[/]：无法在 {host}:{port} 上监听（{exc.strerror}）：端口可能已被占用，请用 --port 换一个端口",
                      highlight=False)
            raise typer.Exit(2)
    url = f"http://{'[' + host + ']' if ':' in host else host}:{port}/"
    worker = None if debug and not workers else _start_worker(workers)
    # SIGTERM (a service manager's stop, a test's terminate()) would end this process without running the
    # ``finally`` below, leaving the job worker running with nobody to stop it. As SystemExit it unwinds:
    # waitress returns from its loop and the worker is stopped. (``server.run`` with several processes
    # installs its own handler, which stops the other servers and exits the same way.)
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(0))
    console.print(f"预算公开平台已启动：{url}  （按 Ctrl+C 停止）", highlight=False)
    if debug:
        from django.core.management import call_command

        try:
            call_command("runserver", f"{host}:{port}", use_reloader=False)
        finally:
            _stop_worker(worker)
        return
    from yusuan.web import server
    from yusuan.web.wsgi import application

    try:
        server.run(application, host=host, port=port, threads=threads, processes=processes)
    finally:
        _stop_worker(worker)


def _start_worker(workers: int):
    """The job worker as a child process (its own database connections; no threads in the web process)."""
    import subprocess

    if workers <= 0:
        return None
    env = {**os.environ, "YUSUAN_WORKERS": str(workers)}
    proc = subprocess.Popen([sys.executable, "-c", "from yusuan.cli import main; main()", "worker", "--quiet"], env=env)
    console.print(f"后台审核任务进程已启动（{workers} 个工作进程，进程号 {proc.pid}）", highlight=False)
    return proc


def _stop_worker(proc) -> None:
    import subprocess

    if proc is None or proc.poll() is not None:
        return
    proc.terminate()
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        proc.kill()


@app.command()
def worker(
    quiet: bool = typer.Option(False, "--quiet", help="不显示数据库信息"),
) -> None:
    """运行后台审核任务进程（django-q2，以数据库为队列；yusuan serve 会自动启动一个）。"""
    _setup()
    from django.core.management import call_command

    from django.conf import settings

    console.print(f"后台任务进程：{settings.Q_CLUSTER['workers']} 个工作进程，单个任务时限 {settings.JOB_TIMEOUT} 秒"
                  f"，失败后最多运行 {settings.JOB_ATTEMPTS} 次（按 Ctrl+C 停止）", highlight=False)
    call_command("qcluster")


@app.command()
def createsuperuser(
    username: str = typer.Option(..., "--username", prompt="用户名", help="用户名"),
    password: str = typer.Option(..., "--password", prompt="密码", hide_input=True, confirmation_prompt=True, help="密码"),
) -> None:
    """创建管理员账号（网页应用）。"""
    _setup()
    from django.contrib.auth import get_user_model

    from yusuan.web.models import Membership, Role

    User = get_user_model()
    if User.objects.filter(username=username).exists():
        err.print(f"[bold red]错误[/]：用户名“{username}”已存在", highlight=False)
        raise typer.Exit(2)
    if len(password) < 8:
        err.print("[bold red]错误[/]：密码至少 8 个字符", highlight=False)
        raise typer.Exit(2)
    user = User.objects.create_superuser(username=username, password=password, email="")
    Membership.objects.create(user=user, role=Role.ADMIN)
    console.print(f"已创建管理员“{username}”", highlight=False)
