from django.db import migrations

# R-MEM-3: a seat never has more holders at once than it allows (2 for a job share). A row
# count across rows cannot be a CHECK constraint, so a trigger enforces it; it locks the seat
# so two holdings saved at the same moment cannot both squeeze in.
CREATE = """
CREATE FUNCTION membership_holders_within_max() RETURNS trigger AS $$
DECLARE
    allowed integer;
    holding integer;
BEGIN
    SELECT max_holders INTO allowed FROM membership_seat WHERE id = NEW.seat_id FOR UPDATE;
    SELECT count(*) INTO holding
      FROM membership_membership m
     WHERE m.seat_id = NEW.seat_id
       AND m.id IS DISTINCT FROM NEW.id
       AND daterange(m.starts_on, m.ends_on) && daterange(NEW.starts_on, NEW.ends_on);
    IF holding + 1 > allowed THEN
        RAISE EXCEPTION 'seat % allows % holder(s) at a time', NEW.seat_id, allowed
            USING ERRCODE = 'exclusion_violation',
                  CONSTRAINT = 'membership_holders_within_max';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER membership_holders_within_max
    BEFORE INSERT OR UPDATE OF seat_id, starts_on, ends_on ON membership_membership
    FOR EACH ROW EXECUTE FUNCTION membership_holders_within_max();
"""

DROP = """
DROP TRIGGER membership_holders_within_max ON membership_membership;
DROP FUNCTION membership_holders_within_max();
"""


class Migration(migrations.Migration):
    dependencies = [("membership", "0001_people_seats_memberships")]

    operations = [migrations.RunSQL(CREATE, DROP)]
