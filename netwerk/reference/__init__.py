"""Reference data every other room stands on: municipalities, PC4 postcode areas and the
network's regions (with the one region rule), the expertise vocabulary, distances, the loader of
the shipped reference files, and the postcode form field. Depends on nothing else in netwerk."""
