from django.conf import settings
from django.core.management.base import BaseCommand

from kompeten.signing import demo
from kompeten.signing.keys import certificate_info, key_material


class Command(BaseCommand):
    help = ("Buat (sekali saja) CA dan penandatangan DEMO untuk sertifikat di "
            "CERT_SIGNING_DIR/demo/; --force membuatnya ulang.")

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true",
                            help="buat ulang walaupun berkas DEMO sudah ada")

    def handle(self, *args, force: bool = False, **options):
        directory, created = demo.ensure_demo_signer(force=force)
        self.stdout.write(
            f"{'Dibuat' if created else 'Sudah ada'}: {directory / demo.P12_FILE} "
            f"(akar tepercaya {directory / demo.ROOT_FILE})"
        )
        if settings.CERT_SIGNING_P12:
            self.stdout.write(f"CERT_SIGNING_P12 diisi: sertifikat ditandatangani dengan "
                              f"{settings.CERT_SIGNING_P12}, bukan dengan kunci DEMO.")
            return
        info = certificate_info(key_material().certificate)
        self.stdout.write(f"Penandatangan: {info['common_name']} (seri {info['serial']}, "
                          f"berlaku s.d. {info['not_after']:%d-%m-%Y})")
