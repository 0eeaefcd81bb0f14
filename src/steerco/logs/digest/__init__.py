"""The daily digest: ``sending`` builds each person's digest and e-mails it; ``schedule``
says when a running worker sends it, once a day across workers. The page is
``views.digest``; the periodic job is declared in ``tasks.py``."""
