"""A gateway that takes its time (SLOW_GATEWAY_SECONDS per message), writing JSON lines like the
file backend: the worker tests kill a worker while it is sending."""

import os
import time

from caunoi.channels import Message, Receipt
from caunoi.channels.backends import FileBackend


class SlowFileBackend(FileBackend):
    def send(self, message: Message) -> Receipt:
        time.sleep(float(os.environ.get("SLOW_GATEWAY_SECONDS", "0.05")))
        return super().send(message)
