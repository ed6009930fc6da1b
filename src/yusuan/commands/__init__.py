"""CLI subcommands, one module per area. Each module does ``from yusuan.cli import app, ...`` and
decorates its functions with ``@app.command()``; ``yusuan.cli`` imports every module here."""
