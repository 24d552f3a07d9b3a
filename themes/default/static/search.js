// search client: written by the search module
