"""Lineage: where each unit came from and where it went.

`units` reads the text units out of the graph, `texts` compares two texts word by word,
`derive` finds the derivation edges and writes them (with their evidence) into the graph,
`engine` walks those edges with networkx, `timeline` follows mandates and recommendations
through them, and `render` prints a trace as text, JSON, JSON-LD, DOT or Mermaid.
"""
