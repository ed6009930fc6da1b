"""The web application (Django): departments prepare, the finance bureau reviews and publishes.

It adds no domain logic: loading, checking and rendering are the library's (``services`` calls
them). Start it with ``yusuan serve``; see docs/web.md.
"""
