"""The editor's pages as one Litestar plugin: templates, page routes and static files."""

from __future__ import annotations

from litestar import Router
from litestar.config.app import AppConfig
from litestar.exceptions import ImproperlyConfiguredException
from litestar.plugins import InitPluginProtocol
from litestar.static_files import create_static_files_router

from service.http.web.routes import web_router
from service.http.web.templating import STATIC, STATIC_PATH, template_config


class WebPages(InitPluginProtocol):
    """Adds `/`, `/digests`, `/d/{key}`, `/d/{key}.json`, `/batches`, `/batches/{id}` and `/static/*`."""

    def on_app_init(self, app_config: AppConfig) -> AppConfig:
        if app_config.template_config is not None:
            raise ImproperlyConfiguredException("the web pages bring their own template config")
        app_config.template_config = template_config()
        app_config.route_handlers.extend([web_router(), _static_router()])
        return app_config


def _static_router() -> Router:
    return create_static_files_router(
        path=STATIC_PATH, directories=[STATIC], name="web:static", include_in_schema=False
    )
