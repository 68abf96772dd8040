#!/usr/bin/env python3
"""A packet delayer on a TUN device, for tests: every packet the kernel routes into the device is held
for DELAY milliseconds, then written back, in order, so the kernel forwards it on. This kernel has no
netem; a delaying TCP proxy would hide the round trip from TCP's window, a delayed packet path does not.

usage: tun-delay.py DEVICE DELAY_MS   (run as root, in the network namespace that routes through DEVICE)
"""
import collections, fcntl, os, select, struct, subprocess, sys, time

TUNSETIFF, IFF_TUN, IFF_NO_PI = 0x400454ca, 0x0001, 0x1000


def main():
    device, delay = sys.argv[1], int(sys.argv[2]) / 1000.0
    tun = os.open("/dev/net/tun", os.O_RDWR)
    fcntl.ioctl(tun, TUNSETIFF, struct.pack("16sH", device.encode(), IFF_TUN | IFF_NO_PI))
    subprocess.run(["ip", "link", "set", device, "up"], check=True)
    print("ready", flush=True)
    held = collections.deque()
    while True:
        now = time.monotonic()
        while held and held[0][0] <= now:
            os.write(tun, held.popleft()[1])
        timeout = max(0.0, held[0][0] - now) if held else None
        readable, _, _ = select.select([tun], [], [], timeout)
        if readable:
            packet = os.read(tun, 65535)
            held.append((time.monotonic() + delay, packet))


if __name__ == "__main__":
    main()
