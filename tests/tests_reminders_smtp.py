"""An SMTP client stand-in that records what would be sent (the mail server is outside the app)."""


class Recorder:
    sent: list = []

    def __init__(self, host, port=0, timeout=None):
        self.host = host

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def starttls(self):
        pass

    def login(self, user, password):
        pass

    def send_message(self, msg):
        Recorder.sent.append((msg["To"], msg["Subject"], msg.get_content()))
