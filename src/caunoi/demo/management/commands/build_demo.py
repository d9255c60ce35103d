import random
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from caunoi.demo import builder, reform


class Command(BaseCommand):
    help = (
        "Build the Phú Thọ demo: 2022 as the article saw it, carried through the 2025 reform into "
        "today's Phú Thọ (reuses it when it already exists), and print its sign-ins."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--households-per-area",
            type=int,
            default=170,
            help="average households per area (170; e.g. 5 for a small, fast build)",
        )
        parser.add_argument("--seed", type=int, default=None)
        parser.add_argument(
            "--only-2022",
            action="store_true",
            dest="only_2022",
            help="stop at Phú Thọ 2022 (no Vĩnh Phúc, Hòa Bình nor 2025 reform): faster",
        )

    def handle(self, *args, households_per_area, seed, only_2022=False, **options):
        translation.activate("en")
        if households_per_area < 1:
            raise CommandError("--households-per-area must be at least 1")
        if builder.demo_exists():
            self.stdout.write(
                "Demo data already present: reusing it (make demo-reset starts over)."
            )
        else:
            started = time.monotonic()
            self.stdout.write("Building the Phú Thọ 2022 demo…")
            builder.build(seed=seed, households_per_area=households_per_area, log=self.stdout.write)
            self.stdout.write(f"Built in {time.monotonic() - started:.1f} s.")
        if not only_2022 and not reform.reformed():
            started = time.monotonic()
            self.stdout.write("Carrying it through the 2025 reform…")
            reform.build(
                rng=random.Random(settings.DEMO_SEED if seed is None else seed),
                households_per_area=households_per_area,
                log=self.stdout.write,
            )
            self.stdout.write(f"Reformed in {time.monotonic() - started:.1f} s.")
        self.stdout.write(f"\nDemo sign-ins at {settings.SITE_URL.rstrip('/')}/dang-nhap/ :")
        accounts = builder.accounts()
        width = max((len(a.role) for a in accounts), default=0)
        for a in accounts:
            self.stdout.write(f"  {a.role:<{width}} {a.login:<14} {a.how:<40} {a.name}")
