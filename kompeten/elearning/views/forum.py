"""The discussion forum of a batch, per module."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kompeten.accounts.access import role_required
from kompeten.accounts.models import Role
from kompeten.common.pagecache import user_page
from kompeten.elearning import selectors, services
from kompeten.elearning.forms import HideForm, ReplyForm, ThreadForm
from kompeten.elearning.models import Post
from kompeten.elearning.views import back

FORUM_ROLES = (Role.PARTICIPANT, Role.ORGANISER, Role.FACILITATOR)


@role_required(*FORUM_ROLES)
def batch_forum(request: HttpRequest, pk: int) -> HttpResponse:
    """The batch's modules with their thread and unread counts."""
    batch = selectors.batch_for(user=request.user, pk=pk)
    modules = list(selectors.modules_of(batch))
    unread = selectors.unread_by_module(user=request.user, batch=batch)
    return render(request, "elearning/forum_batch.html", {
        "batch": batch, "modules": [(m, unread.get(m.pk, 0)) for m in modules]})


@role_required(*FORUM_ROLES)
@user_page()
def module_forum(request: HttpRequest, pk: int, module_pk: int) -> HttpResponse:
    batch = selectors.batch_for(user=request.user, pk=pk)
    module = selectors.modules_of(batch).filter(pk=module_pk).first()
    if module is None:
        raise Http404
    form = ThreadForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            thread = services.start_thread(batch=batch, module=module, by=request.user,
                                           **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Topik baru dibuat."))
            return HttpResponseRedirect(reverse("elearning:thread", args=[thread.pk]))
    page = Paginator(selectors.threads_of(user=request.user, batch=batch, module=module),
                     selectors.THREADS_PER_PAGE).get_page(request.GET.get("halaman"))
    return render(request, "elearning/forum_module.html", {
        "batch": batch, "module": module, "page": page, "form": form})


@role_required(*FORUM_ROLES)
def thread(request: HttpRequest, pk: int) -> HttpResponse:
    thread = selectors.thread_for(user=request.user, pk=pk)
    form = ReplyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        quote = None
        if form.cleaned_data["quote"]:
            quote = Post.objects.filter(pk=form.cleaned_data["quote"]).first()
        try:
            post = services.reply(thread=thread, body=form.cleaned_data["body"],
                                  by=request.user, quote=quote)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            count = selectors.posts_of(thread).filter(pk__lte=post.pk).count()
            last = (count - 1) // selectors.POSTS_PER_PAGE + 1
            return HttpResponseRedirect(
                reverse("elearning:thread", args=[thread.pk]) + f"?halaman={last}#post-{post.pk}")
    mark = selectors.read_mark(user=request.user, thread=thread)
    paginator = Paginator(selectors.posts_of(thread), selectors.POSTS_PER_PAGE)
    page = paginator.get_page(request.GET.get("halaman") or (
        paginator.num_pages if request.GET.get("baru") else 1))
    posts = list(page.object_list)
    if posts and posts[-1].pk > mark:
        services.mark_read(thread=thread, user=request.user, last_post_id=posts[-1].pk)
    quote_pk = request.GET.get("kutip", "")
    if quote_pk.isdigit() and not form.is_bound:
        form = ReplyForm(initial={"quote": int(quote_pk)})
    quoted = next((p for p in posts if str(p.pk) == quote_pk), None)
    staff = request.user.role in (Role.ORGANISER, Role.FACILITATOR)
    return render(request, "elearning/thread.html", {
        "thread": thread, "page": page, "posts": posts, "mark": mark, "form": form,
        "quoted": quoted, "can_moderate": staff, "hide_form": HideForm()})


@require_POST
@role_required(Role.ORGANISER, Role.FACILITATOR)
def hide(request: HttpRequest, pk: int) -> HttpResponse:
    post = selectors.post_for_moderation(user=request.user, pk=pk)
    form = HideForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Tulis alasan menyembunyikan tulisan ini."))
    else:
        try:
            services.hide_post(post=post, by=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Tulisan disembunyikan; isinya tetap tersimpan untuk "
                                        "audit."))
    return back(request, reverse("elearning:thread", args=[post.thread_id]))
