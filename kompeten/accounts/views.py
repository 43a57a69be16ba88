from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import PasswordResetForm
from django.http import HttpResponseRedirect
from django.template import loader

from kompeten.common.mail import build_email


class StandardPasswordResetForm(PasswordResetForm):
    """Django's reset form, its e-mail built like every other (kompeten.common.mail)."""

    def send_mail(self, subject_template_name, email_template_name, context, from_email,
                  to_email, html_email_template_name=None):
        subject = "".join(loader.render_to_string(subject_template_name, context).splitlines())
        body = loader.render_to_string(email_template_name, context)
        html = (loader.render_to_string(html_email_template_name, context)
                if html_email_template_name else "")
        build_email(subject=subject, body=body, html=html, to=[to_email]).send()


class PasswordResetView(auth_views.PasswordResetView):
    """The reset link points at SITE_URL like every other link the app mails, never at the
    Host header of the request (which a client chooses)."""

    form_class = StandardPasswordResetForm

    def form_valid(self, form):
        site = urlsplit(settings.SITE_URL)
        form.save(domain_override=site.netloc, use_https=site.scheme == "https",
                  token_generator=self.token_generator, from_email=self.from_email,
                  email_template_name=self.email_template_name,
                  subject_template_name=self.subject_template_name, request=self.request,
                  html_email_template_name=self.html_email_template_name,
                  extra_email_context=self.extra_email_context)
        return HttpResponseRedirect(self.get_success_url())
