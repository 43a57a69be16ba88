"""Demo dormitory: Asrama A, B and C with 2-bed rooms (idempotent).

The busiest night of 2019 holds up to 6 batches x 30 = 180 officials (the second
night of three batches and the arrival night of the next three), i.e. 90 rooms if
everyone could be paired; 40 rooms per building (120 rooms, 240 beds) leave room
for odd numbers of men and women and for a few closed rooms.
"""

from kompeten.dormitory.rooms import create_rooms

DEMO_BUILDINGS = [("Asrama A", 40), ("Asrama B", 40), ("Asrama C", 40)]


def load_demo_rooms() -> int:
    """Create the demo rooms that do not exist yet; return how many were created."""
    return sum(len(create_rooms(building=building, count=count, capacity=2, first_number=101))
               for building, count in DEMO_BUILDINGS)
