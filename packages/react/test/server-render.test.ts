import React from 'react';
import * as server from 'react-dom/server';
import { serverRenderCases } from './server-render-cases.ts';

serverRenderCases(React, server, '19');
