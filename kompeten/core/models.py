from kompeten.common.models import BackgroundJob, BackgroundJobStatus  # noqa: F401
