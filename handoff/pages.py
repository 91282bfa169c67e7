"""The web pages the bridge serves: the widget and demo shop (public), the console (logged-in agents).

Files are read from ``web/`` at request time (small, cached by browsers with
revalidation). The pages are ES modules without a build step, so a module's URL mirrors its
place on disk and relative imports work in the browser as in Node's tests:

- ``web/widget/*`` at ``/widget/…`` and ``web/shared/*`` at ``/shared/…``: public, and sent
  with ``Access-Control-Allow-Origin: *`` (a host page on another origin fetches module
  scripts in CORS mode);
- ``web/console/assets/*`` at ``/console/assets/…``: a session cookie is needed for all but
  the login page's own assets; the supervisor page also needs the supervisor role.

What is served is what those folders hold (``.js`` and ``.css`` files, plain names), so the
list cannot drift from the files. Pages get a strict Content-Security-Policy: no inline
scripts on the console, no framing.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Awaitable, Callable
from pathlib import Path

from aiohttp import web

from handoff.accounts import Account, Sessions
from handoff.config import ROOT

WEB_ROOT = ROOT / "web"
SOCKET_IO_CLIENT = WEB_ROOT / "node_modules" / "socket.io-client" / "dist"
WIDGET_DIR = WEB_ROOT / "widget"
SHARED_DIR = WEB_ROOT / "shared"
CONSOLE_DIR = WEB_ROOT / "console"
CONSOLE_ASSETS_DIR = CONSOLE_DIR / "assets"

CONSOLE_PAGES = {"": "console.html", "supervisor": "supervisor.html"}
# What the login page loads; every other console asset needs a login.
PUBLIC_CONSOLE_ASSETS = frozenset({"login.js", "text.js", "console.css"})  # text.js: the UI texts, nothing secret

# A servable file name: no directories, no dot files, nothing but scripts and style sheets.
_ASSET_NAME = re.compile(r"^[a-z][a-z0-9_-]*\.(js|css)$")
_CONTENT_TYPES = {".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8",
                  ".svg": "image/svg+xml"}

_CONSOLE_CSP = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
                "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'")
# The demo shop: its two inline scripts (the cart, the widget's config object) run by a nonce made
# for each response, nothing else inline runs; it talks only to this bridge; images in bot messages
# may come from any https site; no other site may frame it.
_SHOP_CSP = ("default-src 'self'; script-src 'self' 'nonce-{nonce}'; style-src 'self'; "
             "img-src 'self' data: https:; connect-src 'self' ws://{host} wss://{host}; "
             "frame-ancestors 'self'; base-uri 'none'; form-action 'self'; object-src 'none'")

# An SVG opened on its own runs nothing.
_IMAGE_CSP = "default-src 'none'; style-src 'unsafe-inline'"

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def _file(path: Path, csp: str | None = None, cors: bool = False) -> web.StreamResponse:
    if not path.is_file():
        raise web.HTTPNotFound(text="not found")
    headers: dict[str, str] = {"Cache-Control": "no-cache", "X-Content-Type-Options": "nosniff",
                               "Referrer-Policy": "same-origin"}
    content_type = _CONTENT_TYPES.get(path.suffix)
    if content_type:
        headers["Content-Type"] = content_type
    if csp:
        headers["Content-Security-Policy"] = csp
    if cors:
        headers["Access-Control-Allow-Origin"] = "*"
    return web.FileResponse(path, headers=headers)


def asset(folder: Path, name: str) -> Path | None:
    """The file ``name`` directly in ``folder`` if it is a script or style sheet there, else ``None``."""
    if not _ASSET_NAME.match(name):
        return None
    path = folder / name
    return path if path.is_file() else None


def _public(path: Path, csp: str | None = None) -> Handler:
    async def handler(request: web.Request) -> web.StreamResponse:
        return _file(path, csp)

    return handler


_HOST = re.compile(r"^[A-Za-z0-9.\[\]:-]{1,255}$")


def _host(request: web.Request) -> str:
    """The Host the page was asked as, if it is a plain host[:port] (it goes into a header)."""
    return request.host if _HOST.match(request.host) else "localhost"


def shop_page(path: Path) -> Handler:
    """The shop page with a fresh CSP nonce on its inline scripts (``_SHOP_CSP``)."""
    async def handler(request: web.Request) -> web.StreamResponse:
        nonce = secrets.token_urlsafe(16)
        html = path.read_text(encoding="utf-8").replace("<script>", f'<script nonce="{nonce}">')
        return web.Response(text=html, content_type="text/html", headers={
            "Cache-Control": "no-store", "X-Content-Type-Options": "nosniff", "Referrer-Policy": "same-origin",
            "Content-Security-Policy": _SHOP_CSP.format(nonce=nonce, host=_host(request))})

    return handler


def _public_folder(folder: Path) -> Handler:
    """Any script or style sheet of ``folder``, for any origin (the widget's modules on host pages)."""
    async def handler(request: web.Request) -> web.StreamResponse:
        path = asset(folder, request.match_info["name"])
        if path is None:
            raise web.HTTPNotFound(text="not found")
        return _file(path, cors=True)

    return handler


async def current_agent(request: web.Request, sessions: Sessions) -> Account | None:
    """The agent logged in with this request's cookie (or ``Authorization: Bearer``), or ``None``."""
    bearer = request.headers.get("Authorization", "")
    if bearer.startswith("Bearer "):
        return await sessions.agent_for(bearer.removeprefix("Bearer ").strip())
    return await sessions.agent_for_cookie(request.headers.get("Cookie"))


def console_routes(sessions_of: Callable[[web.Application], Sessions]) -> web.RouteTableDef:
    """Routes of the console; ``sessions_of`` finds the login sessions at request time."""
    routes = web.RouteTableDef()

    @routes.get("/console/login")
    async def login_page(request: web.Request) -> web.StreamResponse:
        return _file(CONSOLE_DIR / "login.html", _CONSOLE_CSP)

    @routes.get("/console")
    async def console_root(request: web.Request) -> web.StreamResponse:
        raise web.HTTPFound("/console/")

    @routes.get(r"/console/{page:(supervisor)?}")
    async def console_page(request: web.Request) -> web.StreamResponse:
        agent = await current_agent(request, sessions_of(request.app))
        if agent is None:
            raise web.HTTPFound("/console/login")
        page = request.match_info["page"]
        if page == "supervisor" and not agent.is_supervisor:
            raise web.HTTPForbidden(text="the supervisor page is for supervisors")
        return _file(CONSOLE_DIR / CONSOLE_PAGES[page], _CONSOLE_CSP)

    @routes.get("/console/assets/{name}")
    async def console_asset(request: web.Request) -> web.StreamResponse:
        name = request.match_info["name"]
        path = asset(CONSOLE_ASSETS_DIR, name)
        if path is None:
            raise web.HTTPNotFound(text="not found")
        if name not in PUBLIC_CONSOLE_ASSETS and await current_agent(request, sessions_of(request.app)) is None:
            raise web.HTTPUnauthorized(text="log in first")
        return _file(path)

    return routes


def add_pages(app: web.Application, sessions_of: Callable[[web.Application], Sessions]) -> None:
    """Register the widget, the shared modules, the demo shop, socket.io-client's browser build and the console."""
    router = app.router

    async def home(request: web.Request) -> web.StreamResponse:
        raise web.HTTPFound("/shop/")

    router.add_get("/", home)
    router.add_get("/shop", home)
    router.add_get("/shop/", shop_page(WEB_ROOT / "shop" / "index.html"))
    router.add_get("/shop/shop.css", _public(WEB_ROOT / "shop" / "shop.css"))
    # The shop's pictures that bot responses show (domain.yml names them by path; see Settings.public_url).
    router.add_get("/shop/size-chart.svg", _public(WEB_ROOT / "shop" / "size-chart.svg", _IMAGE_CSP))
    router.add_get("/widget/{name}", _public_folder(WIDGET_DIR))
    router.add_get("/shared/{name}", _public_folder(SHARED_DIR))
    router.add_get("/vendor/socket.io.min.js", _public(SOCKET_IO_CLIENT / "socket.io.min.js"))
    router.add_get("/vendor/socket.io.min.js.map", _public(SOCKET_IO_CLIENT / "socket.io.min.js.map"))
    app.add_routes(console_routes(sessions_of))
