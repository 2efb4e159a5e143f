from django.core.management.base import BaseCommand

from demo.loader import load_demo


class Command(BaseCommand):
    help = "Lädt die Demodaten (GRDrs 949/2019 und die Drucksachen, auf die sie baut)."

    def handle(self, *args, **options):
        load_demo()
        self.stdout.write(self.style.SUCCESS("Demodaten geladen."))
