"""Access-matrix entries of the job actions (cancel / retry a letters job)."""

from tests.access_matrix import ANY, ORG, Entry

ENTRIES: dict[str, Entry] = {
    "letters:job_cancel": Entry(ORG, ANY, kwargs=lambda ctx: {"pk": ctx["letter_job"].pk}),
    "letters:job_retry": Entry(ORG, ANY, kwargs=lambda ctx: {"pk": ctx["letter_job"].pk}),
}
