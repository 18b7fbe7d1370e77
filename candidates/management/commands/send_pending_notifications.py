from outbox.management.commands.send_queued_email import Command as SendQueuedEmail


class Command(SendQueuedEmail):
    help = "The older name of send_queued_email, kept so existing schedules keep working."
