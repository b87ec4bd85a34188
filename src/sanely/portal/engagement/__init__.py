"""
The preliminary market engagement record (Procurement Act 2023 ss.16 and 17, PCR 2015 regs 40
and 41): what the authority asked the market before its tender notice, who took part, what
everyone was given, what changed in the design because of it, and the UK2 notice built from it.
"""
