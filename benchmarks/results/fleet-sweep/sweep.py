"""Reads FleetSweep's text output: one (name, setting, {policy: (p99 ratio, p99.9 ratio, failed %)}) per scenario."""
import re


def load(path):
    rows = []
    for line in open(path):
        m = re.match(r'(\S+) \[(.*?)\]\s+(.*)', line.strip())
        if m:
            name, setting, rest = m.groups()
            rows.append((name, setting, {pm.group(1): (float(pm.group(2)), float(pm.group(3)), float(pm.group(4)))
                                         for pm in re.finditer(r'(\S+) ([\d.]+)/([\d.]+) ([\d.]+)%', rest)}))
    return rows
