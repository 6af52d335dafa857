"""The routes, one router per concern: the SPARQL protocol, linked data, the API, the pages."""
