"""Local CloudTrail: records Glue and Lake Formation calls, serves LookupEvents, emits EventBridge events."""


def install() -> None:
    """Install the LookupEvents action on moto's CloudTrail responses."""


class RecordingMiddleware:
    """WSGI middleware in front of moto that records Glue and Lake Formation calls."""

    def __init__(self, app):
        self.app = app

    def __call__(self, environ, start_response):
        return self.app(environ, start_response)
