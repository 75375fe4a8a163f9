"""Hand-offs to people and other systems: the APS/PMC export, the monthly meeting
pack, alert delivery through the outbox, and the scheduled daily run (SPEC §5, §8).
"""
