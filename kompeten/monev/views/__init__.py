"""Views of monev: answering (participant logged in, or anyone holding a link) and the
organiser's pages."""
