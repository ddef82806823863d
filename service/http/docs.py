"""The API docs: Swagger UI 5 at /schema and /schema/swagger, ReDoc at /schema/redoc, both from the
files that the `openapi-ui-bundles` package ships, served by this app under /schema/assets, so the
docs work with no internet and the editor's origin loads no script from a CDN."""

from __future__ import annotations

from litestar import Router
from litestar.openapi import OpenAPIConfig
from litestar.openapi.plugins import RedocRenderPlugin, SwaggerRenderPlugin
from litestar.static_files import create_static_files_router
from openapi_ui_bundles import redoc, swagger_ui

ASSETS = "/schema/assets"
SWAGGER_ASSETS = f"{ASSETS}/swagger-ui"
REDOC_ASSETS = f"{ASSETS}/redoc"
_FAVICON = f"<link rel='icon' type='image/png' href='{SWAGGER_ASSETS}/favicon-32x32.png'>"


def openapi_config(title: str, version: str) -> OpenAPIConfig:
    swagger = SwaggerRenderPlugin(
        js_url=f"{SWAGGER_ASSETS}/swagger-ui-bundle.js",
        css_url=f"{SWAGGER_ASSETS}/swagger-ui.css",
        standalone_preset_js_url=f"{SWAGGER_ASSETS}/swagger-ui-standalone-preset.js",
        favicon=_FAVICON,
    )
    redoc_page = RedocRenderPlugin(
        js_url=f"{REDOC_ASSETS}/redoc.standalone.js", google_fonts=False, favicon=_FAVICON
    )
    return OpenAPIConfig(title=title, version=version, path="/schema", render_plugins=[swagger, redoc_page])


def docs_assets() -> list[Router]:
    return [
        create_static_files_router(path=path, directories=[bundle.static_path], include_in_schema=False)
        for path, bundle in ((SWAGGER_ASSETS, swagger_ui), (REDOC_ASSETS, redoc))
    ]
