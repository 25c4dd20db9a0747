"""On PYTHONPATH, this refuses every network connection of the Python processes that start with it
(pip, pilotguide): local (Unix) sockets still work. For the offline install tests."""

import socket

_connect = socket.socket.connect


def _refuse(self, address):
    if self.family in (socket.AF_INET, socket.AF_INET6):
        raise OSError(101, f"network refused by the offline test: {address!r}")
    return _connect(self, address)


socket.socket.connect = _refuse
socket.socket.connect_ex = lambda self, address: _refuse(self, address) or 0
socket.create_connection = lambda address, *args, **kwargs: _refuse(socket.socket(), address)
