"""Akoma Ntoso 3.0: the corpus's texts written as AKN (export), checked against the OASIS schema and
coopgraph's profile (check), with one rule between unit IRIs and eIds (naming)."""
