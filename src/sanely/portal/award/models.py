"""
Award: decision notices, standstill, one contract per partner and the procurement report.
"""
