from django.db.backends.postgresql import base as postgresql

from . import server


class DatabaseWrapper(postgresql.DatabaseWrapper):
    """PostgreSQL, connecting through the embedded server's socket, started on first use."""

    def get_connection_params(self):
        params = super().get_connection_params()
        params["host"] = str(server.socket_dir())
        params["user"] = params.get("user") or "postgres"
        return params

    def get_new_connection(self, conn_params):
        try:
            return super().get_new_connection(conn_params)
        except self.Database.OperationalError as error:
            if f'database "{self.settings_dict["NAME"]}" does not exist' not in str(error):
                raise
        self._create_database(conn_params)
        return super().get_new_connection(conn_params)

    def _create_database(self, conn_params):
        """The first run creates the application database beside the server's `postgres` one."""
        admin_params = {**conn_params, "dbname": "postgres"}
        connection = self.Database.connect(**admin_params)
        try:
            connection.autocommit = True
            name = self.ops.quote_name(self.settings_dict["NAME"])
            connection.execute(f"CREATE DATABASE {name}")
        finally:
            connection.close()
