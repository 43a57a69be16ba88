"""The data of the multi-node test: the 2019 programme (nomination stage open), agencies with
e-mail addresses, an organiser and an operator. Run in the cluster's environment:
`python -m tests.multinode.seed AGENCIES PASSWORD`."""

import datetime as dt
import os
import sys


def main(agencies: int, password: str) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kompeten.settings")
    import django

    django.setup()
    from kompeten.accounts.models import Role, User
    from kompeten.programs.models import Agency, AgencyKind
    from kompeten.programs.services import create_program_2019

    program = create_program_2019()
    program.stages.filter(kind="nomination").update(end_date=dt.date(2100, 12, 31))
    Agency.objects.bulk_create([
        Agency(code=f"MN-{number:03d}", name=f"BKPSDM Uji Simpul {number:03d}",
               kind=AgencyKind.PROVINCE, province="Aceh",
               email=f"bkpsdm{number:03d}@simpul.example")
        for number in range(1, agencies + 1)])
    first = Agency.objects.get(code="MN-001")
    for username, role, agency in (("penyelenggara", Role.ORGANISER, None),
                                   ("operator", Role.OPERATOR, first)):
        user = User(username=username, role=role, agency=agency, first_name=username,
                    email=f"{username}@simpul.example", is_staff=role == Role.ORGANISER)
        user.set_password(password)
        user.save()
    print(f"seeded {agencies} agencies, programme {program.code}")


if __name__ == "__main__":
    main(int(sys.argv[1]), sys.argv[2])
