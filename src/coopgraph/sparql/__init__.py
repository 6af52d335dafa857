"""SPARQL, below both views (the web and the command line): the named queries (`named`), the check
every query passes (`check`, reading it with `lexer` as its engine does), the operating system's
fence around the engine (`sandbox`), the answers' writers (`formats`, `oxigraph_answers`), the
worker pool that runs queries with a time limit (`pool`), fair turns and budgets between clients
(`fairness`) and the answers kept per build (`answers`)."""
