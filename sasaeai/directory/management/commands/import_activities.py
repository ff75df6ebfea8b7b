from sasaeai.directory.transfer import ImportCommand


class Command(ImportCommand):
    """manage.py import_activities PATH --municipality CODE [--dry-run] [--all-or-nothing]."""
