# Clinical records (indications, products, plans, injection sessions) arrive with issue 3.
